// "Cite this": a copy button beside each formatted citation.
// Progressive: without this script the citations are plain, selectable text.
(function () {
  "use strict";
  var status = document.querySelector(".cite-this .copy-status");

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.querySelectorAll(".cite-this .citation-text").forEach(function (text) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", text.dataset.copyLabel || "Copy the citation");
    button.addEventListener("click", function () {
      var citation = text.innerText.trim();
      function copied() {
        button.textContent = "Copied";
        say("Citation copied.");
        window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
      }
      function fallback() {
        // No clipboard access (an insecure origin, or refused): select the
        // text so the reader can copy it with the keyboard.
        selectText(text);
        say("The citation is selected: press Ctrl+C (⌘C on a Mac) to copy it.");
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(citation).then(copied, fallback);
      } else {
        fallback();
      }
    });
    text.insertAdjacentElement("afterend", button);
  });
})();
