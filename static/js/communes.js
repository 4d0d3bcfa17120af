// Commune suggestions for inputs marked data-commune-autocomplete. Progressive enhancement:
// without JavaScript the server resolves what was typed (name, postal code or INSEE code).
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-commune-autocomplete]");
  Array.prototype.forEach.call(inputs, function (input, index) {
    var list = document.createElement("datalist");
    list.id = "communes-suggestions-" + index;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    var lastQuery = "";
    input.addEventListener("input", function () {
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
            });
          })
          .catch(function () { /* suggestions are a convenience: typing still works */ });
      }, 200);
    });
  });
})();
