// Verbatim's live reload, injected by `verbatim serve` only. It listens for rebuilds and
// reloads the page; when a rebuild fails it shows the error over the page until it is fixed.
(function () {
  "use strict";
  var overlay = null;
  function show(message) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "verbatim-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,10,10,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace";
      var title = document.createElement("h2");
      title.textContent = "The site did not rebuild";
      title.style.cssText = "color:#ff8a80;font:bold 18px system-ui,sans-serif;margin:0 0 1rem";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      var note = document.createElement("p");
      note.textContent = "The last good version of the site is still being served. Fix the file and save: this page reloads by itself.";
      note.style.cssText = "font:14px system-ui,sans-serif;opacity:.8";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      overlay.appendChild(note);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = message;
  }
  var source = new EventSource("/__verbatim/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("failed", function (event) { show(event.data); });
})();
