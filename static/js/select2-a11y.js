// What select2 (the admin's autocomplete boxes) leaves for screen readers to stumble on, found
// by axe: the text shown in a single choice has the role "textbox" and no name, the search field
// of a multiple choice has no label (named here after the field's label), and a multiple
// choice's "clear" button sits directly in its list of choices (moved just before the list).
// Boxes added to the page later, with a new letter, are mended too.
(function () {
  "use strict";

  function fieldName(container) {
    const select = container.previousElementSibling;
    const label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function mend() {
    document.querySelectorAll(".select2-container").forEach(function (container) {
      const unnamed = container.querySelectorAll(
        ".select2-selection__rendered[role=textbox]:not([aria-label]), " +
          ".select2-search__field:not([aria-label])"
      );
      if (unnamed.length) {
        const name = fieldName(container);
        unnamed.forEach(function (part) {
          part.setAttribute("aria-label", name);
        });
      }
      container.querySelectorAll("ul.select2-selection__rendered > span").forEach(function (span) {
        span.parentNode.parentNode.insertBefore(span, span.parentNode);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    mend();
    new MutationObserver(mend).observe(document.body, { childList: true, subtree: true });
  });
})();
