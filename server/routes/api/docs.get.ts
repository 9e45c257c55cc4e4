/**
 * Swagger UI for the generated OpenAPI document, served from the app itself (its files are copied
 * from `swagger-ui-dist` at build time) so the docs work offline and on a closed network.
 */
export default defineEventHandler(event => apiDocsPage(event, {
  head: '<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">',
  body: `<div id="swagger-ui"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script>
      window.ui = SwaggerUIBundle({ url: '/api/_openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true })
    </script>`,
}))
