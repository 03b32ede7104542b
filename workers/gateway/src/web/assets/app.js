// The pages' own script (CSP: script-src 'self', so nothing inline). It shows every
// <time datetime> in the browser's time zone and the page's language, turns the "Start"
// field's local time into an ISO instant for the server, and proposes the next full hour.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var format = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });

  function localTimes(root) {
    if (!root.querySelectorAll) return;
    var times = Array.prototype.slice.call(root.querySelectorAll("time[datetime]"));
    if (root.matches && root.matches("time[datetime]")) times.push(root);
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) continue;
      if (!el.title) el.title = el.textContent;
      el.textContent = format.format(when);
    }
  }

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  // datetime-local wants "YYYY-MM-DDTHH:MM" in local time.
  function localValue(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  // The hidden field named by data-iso-field gets the instant with its offset (as UTC, "Z").
  function syncInstant(input) {
    var target = document.getElementById(input.getAttribute("data-iso-field"));
    if (!target) return;
    var when = input.value ? new Date(input.value) : null;
    target.value = when && !isNaN(when.getTime()) ? when.toISOString() : "";
  }

  function proposeStart(root) {
    var inputs = root.querySelectorAll ? root.querySelectorAll("input[data-iso-field]") : [];
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var now = new Date();
      now.setSeconds(0, 0);
      input.min = localValue(now);
      if (!input.value) {
        var next = new Date(now.getTime());
        next.setMinutes(0);
        next.setHours(next.getHours() + 1);
        input.value = localValue(next);
        syncInstant(input);
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  }

  // Capturing: the hidden field is up to date before htmx, listening below, sends the form.
  function onEdit(event) {
    var el = event.target;
    if (el && el.matches && el.matches("input[data-iso-field]")) syncInstant(el);
  }
  document.addEventListener("input", onEdit, true);
  document.addEventListener("change", onEdit, true);

  document.addEventListener("DOMContentLoaded", function () {
    localTimes(document);
    proposeStart(document);
  });
  // htmx:load fires for each piece of content htmx swaps in (out-of-band pieces too).
  document.addEventListener("htmx:load", function (event) {
    localTimes(event.detail.elt);
  });
})();
