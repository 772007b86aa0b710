// Starts Swagger UI on the API's schema. Ours, not vendored: a file rather than the inline
// script of Litestar's page, since the app's content security policy forbids inline script.
"use strict";

function csrfToken() {
  const found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]*)/);
  return found ? decodeURIComponent(found[1]) : undefined;
}

window.addEventListener("DOMContentLoaded", function () {
  const container = document.getElementById("swagger-container");
  window.ui = SwaggerUIBundle({
    url: container.dataset.schemaUrl,
    dom_id: "#swagger-container",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    requestInterceptor: function (request) {
      const token = csrfToken();
      if (token !== undefined) {
        request.headers["x-csrftoken"] = token;
      }
      return request;
    },
  });
});
