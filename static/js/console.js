// The operator's console keeps itself up to date: every few seconds it asks for the page
// again with the ETag it has (an unchanged console is a 304 that renders nothing) and
// swaps in the parts marked data-live that changed, except one the operator is typing in
// or has typed in without sending.
// These background requests carry "Sportello-Refresh: 1", so they do not count as the
// operator doing something: a console left alone still logs out, and two minutes before
// that it says so. Pages with data-refresh-seconds="0" (a booking being changed, search
// results) only keep the countdown. Without JavaScript the console is plain pages and forms.
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root || !window.fetch || !window.DOMParser) return;
  var every = Number(root.getAttribute("data-refresh-seconds")) * 1000;
  var etag = root.getAttribute("data-etag") || "";
  var deadline = Date.now() + Number(root.getAttribute("data-idle-seconds")) * 1000;
  var warning = document.getElementById("idle-warning");
  var left = document.getElementById("idle-left");
  var WARN_MS = 120000;
  var pending = false;
  var lastTry = 0;

  function withoutTokens(html) {
    return html.replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, "");
  }

  function edited(element) {
    var active = document.activeElement;
    if (active && active !== document.body && element.contains(active)) return true;
    return Array.prototype.some.call(element.querySelectorAll("input, textarea, select"),
      function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          return field.checked !== field.defaultChecked;
        }
        if (field.tagName === "SELECT") {
          return Array.prototype.some.call(field.options, function (option) {
            return option.selected !== option.defaultSelected;
          });
        }
        return field.type !== "hidden" && field.value !== field.defaultValue;
      });
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    Array.prototype.forEach.call(document.querySelectorAll("[data-live]"), function (old) {
      var replacement = fresh.getElementById(old.id);
      if (!replacement || edited(old)) return;
      if (withoutTokens(replacement.outerHTML) === withoutTokens(old.outerHTML)) return;
      old.replaceWith(document.importNode(replacement, true));
    });
  }

  function ask(background) {
    var headers = background ? { "Sportello-Refresh": "1", "If-None-Match": etag } : {};
    return fetch(window.location.href, {
      headers: headers, credentials: "same-origin", cache: "no-store",
    }).then(function (response) {
      if (response.redirected || response.status === 404) {
        window.location.reload();  // logged out, or no longer at this desk
        return null;
      }
      var idle = response.headers.get("Sportello-Idle-Left");
      if (idle !== null) deadline = Date.now() + Number(idle) * 1000;
      if (!background || response.status !== 200) return null;
      etag = response.headers.get("ETag") || etag;
      return response.text();
    });
  }

  function refresh() {
    if (pending) return;
    pending = true;
    lastTry = Date.now();
    ask(true)
      .then(function (html) { if (html && every) swap(html); })
      .catch(function () {})
      .then(function () { pending = false; });
  }

  function tick() {
    var ms = deadline - Date.now();
    if (ms <= -3000) {  // over: a background request lets the server log out
      if (Date.now() - lastTry > 10000) refresh();
      return;
    }
    warning.hidden = ms > WARN_MS;
    if (!warning.hidden) {
      var seconds = Math.max(0, Math.ceil(ms / 1000));
      left.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }
  }

  // "Stay logged in": one request that counts as doing something, without a reload.
  document.getElementById("stay").addEventListener("submit", function (event) {
    event.preventDefault();
    ask(false).then(tick).catch(function () { window.location.reload(); });
  });
  if (every) {
    setInterval(function () { if (!document.hidden) refresh(); }, every);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) refresh();
    });
  }
  setInterval(tick, 1000);
})();
