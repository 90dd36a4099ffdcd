/* Calendar: drag a post to another day (month) or hour (week) to reschedule it.
   Without JavaScript every chip links to its reschedule form, so nothing here is required. */
(function () {
  "use strict";
  var STATUS_KEY = "chorus-calendar-status";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  function say(message, ok) {
    var box = document.querySelector(".cal-status");
    if (!box || !message) { return; }
    box.textContent = message;  // text, never markup
    box.className = "cal-status " + (ok ? "ok" : "bad");
    box.hidden = false;
  }

  function move(chip, cell) {
    var body = new FormData();
    body.append("date", cell.dataset.date);
    if (cell.dataset.hour !== undefined) { body.append("hour", cell.dataset.hour); }
    chip.classList.add("moving");
    return fetch(chip.dataset.move, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return { ok: false }; });
    }).then(function (answer) {
      if (answer.ok) {
        cell.appendChild(chip);
        sessionStorage.setItem(STATUS_KEY, answer.message);
        location.reload();
      } else {
        chip.classList.remove("moving");
        say(answer.message || document.getElementById("cal-messages").dataset.failed, false);
      }
    }).catch(function () {
      chip.classList.remove("moving");
      say(document.getElementById("cal-messages").dataset.failed, false);
    });
  }

  function setUp() {
    var dragged = null;
    document.querySelectorAll(".cal-chip[draggable=true]").forEach(function (chip) {
      chip.addEventListener("dragstart", function (event) {
        dragged = chip;
        chip.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", chip.dataset.target);
      });
      chip.addEventListener("dragend", function () {
        chip.classList.remove("dragging");
        dragged = null;
      });
    });
    document.querySelectorAll("[data-date]").forEach(function (cell) {
      if (cell.classList.contains("past")) { return; }
      cell.addEventListener("dragover", function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        cell.classList.add("drop-over");
      });
      cell.addEventListener("dragleave", function () { cell.classList.remove("drop-over"); });
      cell.addEventListener("drop", function (event) {
        event.preventDefault();
        cell.classList.remove("drop-over");
        if (dragged) { move(dragged, cell); }
      });
    });
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.classList.add("js");
      form.addEventListener("change", function () { form.submit(); });
    });
    var pending = sessionStorage.getItem(STATUS_KEY);
    if (pending) { sessionStorage.removeItem(STATUS_KEY); say(pending, true); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
