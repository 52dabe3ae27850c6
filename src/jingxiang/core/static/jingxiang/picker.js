// Searchable pickers (core/pickers.py): a combobox over a listbox that HTMX fills as the user types.
// Keyboard: ↓/↑ move through the options, Enter chooses, Esc closes the list (or clears the text),
// Tab leaves. The markup works without this file (ticked checkboxes plus a text input); this file only
// enhances it, so it is loaded from a static file and never needs inline script.
(function () {
  "use strict";

  function format(template, value) {
    return (template || "%s").replace("%s", value);
  }

  function enhance(root) {
    if (root.dataset.pickerReady) {
      return;
    }
    const input = root.querySelector("[role=combobox]");
    const listbox = root.querySelector("[role=listbox]");
    const chosen = root.querySelector(".picker-chosen");
    const status = root.querySelector("[data-picker-status]");
    const template = root.querySelector("template[data-picker-template]");
    if (!input || !listbox || !chosen || !template) {
      return;
    }
    root.dataset.pickerReady = "1";
    root.classList.add("picker-enhanced");
    const multiple = root.dataset.multiple === "true";
    const hint = root.querySelector(".picker-hint");
    if (hint && hint.dataset.hintJs) {
      hint.textContent = hint.dataset.hintJs;
    }
    chosen.querySelectorAll("[data-picker-remove]").forEach((button) => {
      button.hidden = false;
    });
    let active = -1;

    function announce(message) {
      if (status) {
        status.textContent = message;
      }
    }

    function options() {
      return Array.from(listbox.querySelectorAll("[role=option]:not([aria-disabled=true])"));
    }

    function chips() {
      return Array.from(chosen.querySelectorAll(".picker-chip"));
    }

    function chipFor(value) {
      return chips().find((chip) => chip.dataset.value === value);
    }

    function isOpen() {
      return !listbox.hidden;
    }

    function open() {
      if (listbox.children.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      listbox.querySelectorAll(".active").forEach((option) => option.classList.remove("active"));
    }

    function setActive(index) {
      const list = options();
      if (!list.length) {
        return;
      }
      active = Math.max(0, Math.min(index, list.length - 1));
      list.forEach((option, position) => {
        const on = position === active;
        option.classList.toggle("active", on);
        if (!multiple) {
          option.setAttribute("aria-selected", on ? "true" : "false");
        }
      });
      const current = list[active];
      input.setAttribute("aria-activedescendant", current.id);
      current.scrollIntoView({ block: "nearest" });
    }

    function markChosen() {
      listbox.querySelectorAll("[role=option]").forEach((option, position) => {
        option.id = listbox.id + "-option-" + position;
        if (multiple && option.dataset.value) {
          option.setAttribute("aria-selected", chipFor(option.dataset.value) ? "true" : "false");
        }
      });
    }

    function addChip(value, label) {
      const chip = template.content.firstElementChild.cloneNode(true);
      chip.dataset.value = value;
      const box = chip.querySelector("input[type=checkbox]");
      box.value = value;
      chip.querySelector("[data-picker-label]").textContent = label;
      const level = chip.querySelector("[data-picker-level]");
      if (level) {
        level.name = root.dataset.levelPrefix + value;
      }
      const remove = chip.querySelector("[data-picker-remove]");
      remove.setAttribute("aria-label", format(root.dataset.msgRemove, label));
      remove.hidden = false;
      chosen.appendChild(chip);
    }

    function removeChip(chip) {
      const label = chip.querySelector("[data-picker-label]").textContent;
      chip.remove();
      announce(format(root.dataset.msgRemoved, label));
    }

    function choose(option) {
      const value = option.dataset.value;
      const label = option.dataset.label;
      const existing = chipFor(value);
      if (multiple && existing) {
        removeChip(existing);
      } else {
        if (!multiple) {
          chips().forEach((chip) => chip.remove());
        }
        addChip(value, label);
        announce(format(root.dataset.msgAdded, label));
      }
      input.value = "";
      listbox.innerHTML = "";
      close();
      input.focus();
    }

    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!isOpen()) {
          if (options().length) {
            open();
            setActive(Math.max(active, 0));
          } else {
            htmx.trigger(input, "picker:open");
          }
        } else {
          setActive(active + 1);
        }
      } else if (event.key === "ArrowUp") {
        if (isOpen()) {
          event.preventDefault();
          setActive(active - 1);
        }
      } else if (event.key === "Enter") {
        const list = options();
        if (isOpen() && active >= 0 && list[active]) {
          event.preventDefault();
          choose(list[active]);
        }
      } else if (event.key === "Escape") {
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          listbox.innerHTML = "";
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    // Clicking an option must not take the focus from the input first.
    listbox.addEventListener("mousedown", (event) => event.preventDefault());
    listbox.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option && option.getAttribute("aria-disabled") !== "true") {
        choose(option);
      }
    });
    chosen.addEventListener("click", (event) => {
      const button = event.target.closest("[data-picker-remove]");
      if (button) {
        event.preventDefault();
        removeChip(button.closest(".picker-chip"));
        input.focus();
      }
    });
    root.addEventListener("focusout", (event) => {
      if (!root.contains(event.relatedTarget)) {
        close();
      }
    });
    listbox.addEventListener("htmx:afterSwap", () => {
      markChosen();
      const count = options().length;
      announce(count ? format(root.dataset.msgCount, String(count)) : root.dataset.msgNone);
      active = -1;
      if (document.activeElement === input) {
        open();
        // With text typed, the best match is ready for Enter; an empty query only shows the list.
        if (input.value.trim() && count) {
          setActive(0);
        }
      }
    });
  }

  // The endpoint reads what was typed as ?q=, whatever the field's name.
  document.addEventListener("htmx:configRequest", (event) => {
    const element = event.detail.elt;
    if (element && element.matches && element.matches("[data-picker] [role=combobox]")) {
      event.detail.parameters.q = element.value;
    }
  });

  // Without HTMX the type-ahead cannot work: the plain form (checkboxes plus typed names) stays.
  if (window.htmx) {
    window.htmx.onLoad((element) => {
      const scope = element.querySelectorAll ? element : document;
      if (scope.matches && scope.matches("[data-picker]")) {
        enhance(scope);
      }
      scope.querySelectorAll("[data-picker]").forEach(enhance);
    });
  }
})();
