import type { H3Event } from 'h3'

/** The HTML page of an API reference (Swagger UI, ReDoc): the same head, then what `head` and `body` add. */
export function apiDocsPage(event: H3Event, page: { head: string, body: string }): string {
  setResponseHeader(event, 'content-type', 'text/html; charset=utf-8')
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Poke-ventory API</title>
    ${page.head}
  </head>
  <body>
    ${page.body}
  </body>
</html>`
}
