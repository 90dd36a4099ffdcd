/* Behaviour every page shares. The pages carry no inline script (the Content-Security-Policy
   forbids it), so what used to be an onclick= is a data- attribute read here. Every page still
   works without this file: forms post, links go, labels are grey. */
(function () {
  "use strict";

  // A label's colour is chosen by the team: set it as a custom property, not a style attribute.
  function paintLabels(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll("[data-label-color]"));
    if (root.dataset && root.dataset.labelColor) { found.push(root); }
    found.forEach(function (el) { el.style.setProperty("--label", el.dataset.labelColor); });
  }

  function toggleMenu(button) {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("menu-open", open);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var menu = target.closest("[data-menu-toggle]");
    if (menu) { toggleMenu(menu); return; }
    var asking = target.closest("button[data-confirm]");
    if (asking && !window.confirm(asking.dataset.confirm)) { event.preventDefault(); return; }
    if (target.matches("[data-select-on-click]")) { target.select(); }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.dataset.navigate !== undefined) {
      location.href = target.value;
    }
  });

  // Irreversible actions ask first: the question is the button's or the form's data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.body.classList.contains("menu-open")) {
      var button = document.querySelector("[data-menu-toggle]");
      if (button) { toggleMenu(button); }
    }
  });

  // htmx:load comes for all new content, out-of-band swaps (the live inbox list) included.
  document.addEventListener("htmx:load", function (event) { paintLabels(event.detail.elt); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { paintLabels(document); });
  } else {
    paintLabels(document);
  }
})();
