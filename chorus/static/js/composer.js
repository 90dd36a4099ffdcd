// Composer niceties. The page works without this file: every panel is shown, every button posts.
(function () {
  "use strict";

  function init() {
    const form = document.getElementById("composer");
    if (!form) return;
    const tabs = form.querySelector(".composer-tabs");
    const card = tabs && tabs.closest(".card");
    const mainText = form.querySelector("textarea[name=text]");
    let lastField = mainText;

    function chosen(channelId) {
      const box = form.querySelector('input[name=channels][value="' + channelId + '"]');
      return box && box.checked;
    }

    function show(name) {
      tabs.querySelectorAll(".tab").forEach((tab) => tab.classList.toggle("on", tab.dataset.tab === name));
      card.querySelectorAll(".tab-panel").forEach((panel) => panel.classList.toggle("on", panel.dataset.panel === name));
    }

    function syncTabs() {
      let current = tabs.querySelector(".tab.on");
      tabs.querySelectorAll(".tab[data-channel]").forEach((tab) => {
        tab.hidden = !chosen(tab.dataset.channel);
        const own = form.querySelector("#id_v" + tab.dataset.channel + "-customised");
        tab.classList.toggle("customised", !!(own && own.checked));
      });
      if (!current || current.hidden) show("main");
      const queue = form.querySelector("[data-queue]");
      if (queue) {
        const withSlots = queue.dataset.queue.trim().split(/\s+/);
        const picked = Array.from(form.querySelectorAll("input[name=channels]:checked")).map((b) => b.value);
        queue.hidden = picked.length === 0 || !picked.every((id) => withSlots.includes(id));
      }
    }

    // A channel's text follows the main text until someone types in it.
    function mirrorMainText() {
      form.querySelectorAll(".variant-panel").forEach((panel) => {
        const id = panel.dataset.channel;
        const own = form.querySelector("#id_v" + id + "-customised");
        const text = form.querySelector("#id_v" + id + "-text");
        if (own && text && !own.checked) text.value = mainText.value;
      });
    }

    if (tabs && card) {
      card.classList.add("js-tabs");
      tabs.addEventListener("click", (event) => {
        const tab = event.target.closest(".tab");
        if (tab) show(tab.dataset.tab);
      });
      show("main");
      syncTabs();
    }

    form.addEventListener("change", (event) => {
      if (event.target.name === "channels" || /-customised$/.test(event.target.name || "")) syncTabs();
      if (event.target.name === "uploads" && event.target.files.length) {
        form.querySelector("[data-upload]").click();
      }
    });

    form.addEventListener("input", (event) => {
      const field = event.target;
      if (field === mainText) mirrorMainText();
      const match = /^v(\d+)-text$/.exec(field.name || "");
      if (match) {
        const own = form.querySelector("#id_v" + match[1] + "-customised");
        if (own && !own.checked) { own.checked = true; syncTabs(); }
      }
    });

    form.addEventListener("focusin", (event) => {
      if (event.target === mainText || /^v\d+-text$/.test(event.target.name || "")) lastField = event.target;
    });

    // Insert a hashtag group or snippet where the cursor was, instead of posting the form.
    const insert = form.querySelector("[data-insert]");
    if (insert) {
      insert.addEventListener("click", (event) => {
        const option = form.querySelector("#insert-pick").selectedOptions[0];
        if (!option || !lastField) return;
        event.preventDefault();
        const words = option.dataset.text;
        const start = lastField.selectionStart ?? lastField.value.length;
        const end = lastField.selectionEnd ?? start;
        const before = lastField.value.slice(0, start);
        const gap = before && !/\s$/.test(before) ? " " : "";
        lastField.value = before + gap + words + lastField.value.slice(end);
        lastField.focus();
        lastField.dispatchEvent(new Event("input", { bubbles: true }));
      });
    }
    mirrorMainText();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
