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
  // Each post's button submits the page's one hidden form (form="post-actions") to its own
  // formaction; without this file that is an ordinary POST and a redirect back.
  function enhanceRecommend() {
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.classList.contains("recommend-button")) { return; }
      event.preventDefault();
      var form = event.target;
      var plainly = function () {  // the server's answer as a page, as without this file
        form.setAttribute("action", button.formAction);
        form.submit();
      };
      fetch(button.formAction, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { plainly(); return null; }
        return response.json();
      }).then(function (data) {
        if (!data) { return; }
        button.setAttribute("aria-pressed", data.recommended ? "true" : "false");
        var count = button.parentNode.querySelector(".recommend-count");
        if (count) {
          count.textContent = data.count + (data.count === 1 ? " recommendation" : " recommendations");
        }
      }).catch(plainly);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markReadAfterViewing();
    enhanceRecommend();
  });
})();
