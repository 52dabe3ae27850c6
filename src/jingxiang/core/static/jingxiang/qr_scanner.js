// Camera QR scanner, the shared block of core/includes/qr_scanner.html.
//
// In the browser, no app: the phone's (or laptop's) camera is opened with getUserMedia, its frames are
// drawn on a canvas and decoded by jsQR (core/static/vendor/jsqr, from the npm registry). When a code is
// read, its text goes into the page's own text input (the include's ``target``) and that input's form is
// submitted, so the server sees exactly what a person typing the code would send. Without a camera, a
// permission, or JavaScript, the typed input still works: this file only adds to it.
(function () {
  "use strict";

  // Decode at most this wide: enough for a code filling part of the picture, cheap on a phone.
  const MAX_WIDTH = 640;

  function setup(root) {
    if (root.dataset.qrReady) {
      return;
    }
    const input = document.getElementById(root.dataset.qrTarget || "");
    const start = root.querySelector("[data-qr-start]");
    const stop = root.querySelector("[data-qr-stop]");
    const video = root.querySelector("video");
    const status = root.querySelector("[data-qr-status]");
    if (!input || !start || !stop || !video || !status) {
      return;
    }
    root.dataset.qrReady = "1";
    const say = (key, value) => {
      status.textContent = (root.dataset[key] || "").replace("%s", value || "");
    };
    const media = navigator.mediaDevices;
    if (!media || !media.getUserMedia || !window.jsQR) {
      root.hidden = false;
      start.hidden = true;
      say("msgUnsupported");
      return;
    }
    root.hidden = false;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    let stream = null;
    let frame = 0;

    const halt = () => {
      if (stream) {
        stream.getTracks().forEach((track) => track.stop());
      }
      stream = null;
      cancelAnimationFrame(frame);
      video.srcObject = null;
      video.hidden = true;
      stop.hidden = true;
      start.hidden = false;
    };

    const found = (text) => {
      halt();
      input.value = text.trim();
      say("msgFound", input.value);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      const form = input.form;
      if (form) {
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      }
    };

    const tick = () => {
      if (!stream) {
        return;
      }
      if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
        const scale = Math.min(1, MAX_WIDTH / video.videoWidth);
        const width = Math.round(video.videoWidth * scale);
        const height = Math.round(video.videoHeight * scale);
        canvas.width = width;
        canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        const picture = context.getImageData(0, 0, width, height);
        const code = window.jsQR(picture.data, width, height, { inversionAttempts: "attemptBoth" });
        if (code && code.data) {
          found(code.data);
          return;
        }
      }
      frame = requestAnimationFrame(tick);
    };

    start.addEventListener("click", async () => {
      say("msgStarting");
      try {
        stream = await media.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch (error) {
        stream = null;
        say(error && error.name === "NotAllowedError" ? "msgDenied" : "msgNoCamera");
        return;
      }
      video.srcObject = stream;
      video.muted = true;
      video.setAttribute("playsinline", "");
      try {
        await video.play();
      } catch (error) {
        // Autoplay refusals do not stop the frames reaching the canvas once the stream is live.
      }
      video.hidden = false;
      start.hidden = true;
      stop.hidden = false;
      say("msgScanning");
      frame = requestAnimationFrame(tick);
    });
    stop.addEventListener("click", () => {
      halt();
      say("msgStopped");
    });
    window.addEventListener("pagehide", halt);
    if (root.dataset.qrAutostart === "true") {
      start.click();
    }
  }

  const init = (scope) => scope.querySelectorAll("[data-qr-scanner]").forEach(setup);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => init(document));
  } else {
    init(document);
  }
  document.addEventListener("htmx:afterSettle", (event) => init(event.target));
})();
