// Discussions, progressive enhancement only: the pages work without this file.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function postForm(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin"
    });
  }

  // Mark the thread read once the reader has spent a moment on the page (a POST, never a GET).
  function markReadAfterViewing() {
    var form = document.getElementById("mark-read-form");
    if (!form) { return; }
    window.setTimeout(function () {
      if (document.visibilityState === "visible") { postForm(form).catch(function () {}); }
    }, 4000);
  }

  // Recommend without reloading: the button's aria-pressed and the count follow the server.
  function enhanceRecommend() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList || !form.classList.contains("recommend-form")) { return; }
      event.preventDefault();
      postForm(form).then(function (response) {
        if (!response.ok) { form.submit(); return null; }
        return response.json();
      }).then(function (data) {
        if (!data) { return; }
        var button = form.querySelector("button");
        button.setAttribute("aria-pressed", data.recommended ? "true" : "false");
        var count = form.parentNode.querySelector(".recommend-count");
        if (count) {
          count.textContent = data.count + (data.count === 1 ? " recommendation" : " recommendations");
        }
      }).catch(function () { form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markReadAfterViewing();
    enhanceRecommend();
  });
})();
