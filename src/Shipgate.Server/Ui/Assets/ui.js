// Shipgate's web UI: the release board follows the server's events and refetches its grid when it changed.
// Without this script the page works the same, with a reload link.
(function () {
  "use strict";
  var board = document.getElementById("board");
  var status = document.getElementById("live-status");
  if (!board || !window.EventSource || !window.fetch) {
    return;
  }

  var source = new EventSource(board.getAttribute("data-live"));
  var refresh = function () {
    fetch(board.getAttribute("data-grid"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("the board answered " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        // The server renders the fragment with every value HTML-encoded, as it renders the page.
        var fragment = new DOMParser().parseFromString(html, "text/html");
        board.replaceChildren.apply(board, Array.prototype.slice.call(fragment.body.childNodes));
        if (status) {
          status.textContent = "Live: updated " + new Date().toLocaleTimeString() + ".";
        }
      })
      .catch(function () {
        if (status) {
          status.textContent = "Live updates stopped; reload the page.";
        }
      });
  };
  source.addEventListener("open", function () {
    if (status) {
      status.textContent = "Live: the board updates by itself.";
    }
  });
  source.addEventListener("board", refresh);
  source.addEventListener("error", function () {
    if (status && source.readyState === EventSource.CLOSED) {
      status.textContent = "Live updates stopped; reload the page.";
    }
  });
})();
