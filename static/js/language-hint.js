// The English front page's one-time suggestion of the Chinese pages, for browsers that prefer
// Chinese. Decided here, in the browser, from navigator.languages: the page itself is the same
// bytes for every reader, so the page cache and any CDN keep one copy (the language comes from
// the address alone, dialogues/i18n.py). Without JavaScript the suggestion stays hidden.
(function () {
  "use strict";
  var hint = document.getElementById("language-hint");
  var key = "dialogue-desk:language-hint-dismissed";
  if (!hint) return;
  try {
    if (window.localStorage.getItem(key)) return;
  } catch (error) {
    return; // no storage: we could not remember a dismissal, so never nag
  }
  var languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
  // The first of the reader's languages that we serve decides: Chinese before English.
  for (var i = 0; i < languages.length; i++) {
    var language = String(languages[i]).toLowerCase();
    if (language.indexOf("en") === 0) return;
    if (language.indexOf("zh") === 0) {
      if (/^zh-(hant|tw|hk|mo)/.test(language)) return; // Traditional Chinese: we serve Simplified only
      break;
    }
    if (i === languages.length - 1) return;
  }
  hint.hidden = false;
  function dismiss() {
    try {
      window.localStorage.setItem(key, "1");
    } catch (error) {}
    hint.hidden = true;
  }
  hint.querySelector("button").addEventListener("click", dismiss);
  hint.querySelector("a").addEventListener("click", dismiss);
})();
