// Small behaviours that do not warrant a framework: the phone navigation drawer, confirmations,
// print buttons and selects that submit their form. Templates carry data-* attributes only: the
// Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) allows no inline script or on*= handler.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-nav-toggle]");
  if (toggle) {
    const nav = document.getElementById("sidenav");
    const open = nav.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Charts (core.charts / includes/chart.html): the option object is a JSON data block next to the
// drawing area; ECharts is served from our own static files and loaded once, only where a chart is.
const drawCharts = (root) => {
  const holders = Array.from(root.querySelectorAll("[data-chart]")).filter((h) => !h.dataset.drawn);
  if (!holders.length) {
    return;
  }
  const draw = () => {
    holders.forEach((holder) => {
      const data = document.getElementById(holder.getAttribute("data-chart"));
      if (!data || holder.dataset.drawn) {
        return;
      }
      const chart = window.echarts.init(holder, null, { renderer: "svg" });
      chart.setOption(JSON.parse(data.textContent));
      holder.dataset.drawn = "1";
      new ResizeObserver(() => chart.resize()).observe(holder);
    });
  };
  if (window.echarts) {
    draw();
    return;
  }
  let script = document.getElementById("echarts-library");
  if (!script) {
    script = document.createElement("script");
    script.id = "echarts-library";
    script.src = document.documentElement.getAttribute("data-echarts-src");
    document.head.appendChild(script);
  }
  script.addEventListener("load", draw);
};
drawCharts(document);
document.addEventListener("htmx:afterSettle", (event) => drawCharts(event.target));

// Filters (includes/filters.html) are a <details> rendered open: on a phone they fold away unless a
// filter is set, so the list comes first; on a wider screen they stay open (and reopen on widening).
const narrow = window.matchMedia("(max-width: 720px)");
const fitFilters = () => {
  document.querySelectorAll("details[data-filters]").forEach((panel) => {
    panel.open = !narrow.matches || panel.getAttribute("data-filters") === "active";
  });
};
fitFilters();
narrow.addEventListener("change", fitFilters);

// A form sent back with mistakes: the summary at its top takes the focus, so it is read out first.
const summary = document.querySelector(".form-summary[role=alert]");
if (summary) {
  summary.focus();
}
