// Commune suggestions for inputs marked data-commune-autocomplete. Progressive enhancement:
// without JavaScript the server resolves what was typed (name, postal code or INSEE code).
// An input with data-commune-code names the hidden input that carries the INSEE code of the
// commune: a chosen suggestion puts its code there, anything else typed empties it (the
// server then reads the text). A code is never guessed from digits typed.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-commune-autocomplete]");
  Array.prototype.forEach.call(inputs, function (input, index) {
    var list = document.createElement("datalist");
    list.id = "communes-suggestions-" + index;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var code = input.dataset.communeCode && input.form
      ? input.form.elements.namedItem(input.dataset.communeCode) : null;
    var codes = {};  // label of a suggestion -> INSEE code
    if (code && code.value) codes[input.value] = code.value;  // the commune written in the page
    var timer = null;
    var lastQuery = "";
    input.addEventListener("input", function () {
      if (code) code.value = codes[input.value] || "";
      var q = input.value.trim();
      if (q.length < 2 || q === lastQuery || /\(\w{2,3}\), [\dAB, ]+$/.test(q)) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        lastQuery = q;
        fetch("/communes/?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { resultats: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.resultats.forEach(function (commune) {
              var option = document.createElement("option");
              option.value = commune.libelle;
              option.textContent = commune.departement.nom;
              list.appendChild(option);
              codes[commune.libelle] = commune.code;
            });
          })
          .catch(function () { /* suggestions are a convenience: typing still works */ });
      }, 200);
    });
  });
})();
