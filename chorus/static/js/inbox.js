/* Inbox: keyboard shortcuts, row selection for bulk actions, saved replies in the reply box.
   Everything here is a shortcut: the pages work with plain links and forms without it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

  /* -- the list ------------------------------------------------------------------------- */
  let current = -1;
  const rows = () => $$("[data-row]");

  function focusRow(index) {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("current", i === current));
    all[current].scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    return rows()[current] || null;
  }

  function refreshSelection() {
    const picked = $$("input[name=ids]:checked");
    rows().forEach((row) => {
      const box = $("input[name=ids]", row);
      row.classList.toggle("selected", !!(box && box.checked));
    });
    const bar = $("[data-bulk-actions]");
    if (bar) bar.classList.toggle("on", picked.length > 0);
    const counter = $("[data-selection-count]");
    if (counter && picked.length) {
      counter.dataset.idle = counter.dataset.idle || counter.innerHTML;
      counter.textContent = (counter.closest("form").dataset.selectedText || "%s").replace("%s", picked.length);
    } else if (counter && counter.dataset.idle) {
      counter.innerHTML = counter.dataset.idle;
    }
  }

  function toggleCurrent() {
    const row = currentRow();
    const box = row && $("input[name=ids]", row);
    if (box) {
      box.checked = !box.checked;
      refreshSelection();
    }
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches("[data-select-all]")) {
      $$("input[name=ids]").forEach((box) => (box.checked = target.checked));
      refreshSelection();
    } else if (target.matches("input[name=ids]")) {
      refreshSelection();
    } else if (target.matches(".auto-submit select")) {
      target.form.submit();
    } else if (target.matches("[data-saved-reply]") && target.value) {
      insertSavedReply(target);
    }
  });

  /* -- one conversation ------------------------------------------------------------------ */
  async function insertSavedReply(select) {
    const box = $("#reply-text");
    if (!box) return;
    const answer = await fetch(select.dataset.url + select.value + "/", {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    select.value = "";
    if (!answer.ok) return;
    const body = await answer.json();
    const start = box.selectionStart ?? box.value.length;
    box.value = box.value.slice(0, start) + body.text + box.value.slice(box.selectionEnd ?? start);
    box.focus();
    count(box);
  }

  // As the network counts (the server's count_text decides; see reply_counting): links at a
  // fixed weight, a Mastodon mention by its username (@name.bsky.social@bsky.brid.gy: 17),
  // graphemes or UTF-16 units.
  const LINK = /https?:\/\/[^\s<>"']+/gi;
  const MENTION = /(^|[^=\/\w])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)@\w+(?:[.-]+\w+)*(?![\w.-]*(?:@|:\/\/))/gi;

  function counted(box) {
    let text = box.value;
    if (box.dataset.localMentions !== undefined) text = text.replace(MENTION, "$1@$2");
    const weight = Number(box.dataset.urlWeight || 0);
    if (weight) text = text.replace(LINK, "x".repeat(weight));
    if (box.dataset.countMode === "graphemes" && window.Intl && Intl.Segmenter) {
      return [...new Intl.Segmenter().segment(text)].length;
    }
    if (box.dataset.countMode === "characters") return [...text].length;
    return text.length;
  }

  function count(box) {
    const counter = $("[data-counter]");
    if (!counter || !box.dataset.max) return;
    const left = Number(box.dataset.max) - counted(box);
    counter.textContent = left;
    counter.classList.toggle("over", left < 0);
  }

  document.addEventListener("input", (event) => {
    if (event.target.id === "reply-text") count(event.target);
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-shortcuts-open]")) toggleHelp(true);
    if (event.target.closest("[data-shortcuts-close]") || event.target.id === "shortcuts") toggleHelp(false);
  });

  /* -- shortcuts ------------------------------------------------------------------------- */
  function toggleHelp(show) {
    const help = $("#shortcuts");
    if (help) help.hidden = show === undefined ? !help.hidden : !show;
  }

  function press(selector) {
    const button = $(selector);
    if (button && !button.disabled) button.click();
    return !!button;
  }

  /* On the list, e and a act on the current row with the same POST the buttons make. */
  function postForRow(action, fields) {
    const row = currentRow();
    const token = $("input[name=csrfmiddlewaretoken]");
    if (!row || !token) return;
    const form = document.createElement("form");
    form.method = "post";
    form.action = row.dataset.href + action + "/";
    const all = Object.assign({ csrfmiddlewaretoken: token.value, next: location.pathname + location.search }, fields);
    Object.entries(all).forEach(([name, value]) => {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  const onList = () => !!$("[data-list]");
  const keys = {
    j: () => onList() && focusRow(current + 1),
    k: () => onList() && focusRow(current - 1),
    Enter: () => {
      const row = currentRow();
      if (onList() && row) window.location.href = row.dataset.href;
    },
    x: () => onList() && toggleCurrent(),
    r: () => {
      const box = $("#reply-text");
      if (box) box.focus();
      else if (currentRow()) window.location.href = currentRow().dataset.href + "#reply";
    },
    e: () => press("[data-key=e]") || postForRow("status", { status: "resolved" }),
    a: () => press("[data-key=a]") || postForRow("assign", { assignee: "me" }),
    "/": () => {
      const search = $("#inbox-q");
      if (search) search.focus();
    },
    "?": () => toggleHelp(),
    Escape: () => {
      const help = $("#shortcuts");
      if (help && !help.hidden) return toggleHelp(false);
      const back = $("[data-back]");
      if (back) window.location.href = back.href;
    },
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    const box = $("#reply-text");
    if (box) {
      count(box);
      if (window.location.hash === "#reply") box.focus();
    }
    refreshSelection();
  });
})();

/* Live list: skip a turn while rows are selected, so a bulk action keeps its selection. */
document.addEventListener("htmx:beforeRequest", (event) => {
  if (event.detail.elt.id === "inbox-live" && document.querySelector("input[name=ids]:checked")) {
    event.preventDefault();
  }
});
