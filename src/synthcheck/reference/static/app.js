/* FRED data dashboard: shows service health and the latest observations of a series.
   Talks only to this service's own API (the CSP allows nothing else). */
"use strict";

function setText(id, text) {
  document.getElementById(id).textContent = text;
}

function renderObservations(data) {
  setText("title", data.title + " (" + data.units + ")");
  var body = document.querySelector("#observations tbody");
  while (body.firstChild) {
    body.removeChild(body.firstChild);
  }
  data.observations.slice().reverse().forEach(function (obs) {
    var row = document.createElement("tr");
    var date = document.createElement("td");
    var value = document.createElement("td");
    date.textContent = obs.date;
    value.textContent = obs.value === null ? "n/a" : String(obs.value);
    row.appendChild(date);
    row.appendChild(value);
    body.appendChild(row);
  });
}

function loadSeries(series) {
  return fetch("/api/fred-data?series=" + encodeURIComponent(series) + "&limit=24")
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(renderObservations)
    .catch(function (error) {
      setText("title", "Could not load " + series + ": " + error.message);
    });
}

function loadHealth() {
  return fetch("/api/health")
    .then(function (response) {
      return response.json();
    })
    .then(function (health) {
      setText("status", "Service " + health.status + " (version " + health.version + ")");
    })
    .catch(function () {
      setText("status", "Service health unknown");
    });
}

document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("series");
  select.addEventListener("change", function () {
    loadSeries(select.value);
  });
  loadHealth();
  loadSeries(select.value);
});
//# sourceMappingURL=app.js.map
