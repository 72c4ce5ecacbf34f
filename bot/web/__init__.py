"""The bot's small web server: calendar feeds, letter pages and `/healthz`, in the bot's process.

Off unless `WEB_PORT` is set. aiohttp's own server (`aiohttp.web`), started from
`Bot.setup_hook` after the services are built and stopped in `Bot.close()`; Jinja2 templates
with autoescaping for every HTML page. Layering: this package may import `bot.services` and
`bot.render` (and the basics), never `bot.stores`, `bot.db`, `bot.client` or `cogs`
(tests/test_layering.py): it gets what it needs as arguments, never the Bot.

Modules:

* `app` — `make_app(context)`: the `aiohttp.web.Application`, its safety middleware (GET and
  HEAD only, plain 404/405/500 with no detail, security headers, no `Server` banner) and the
  list of page modules, `PAGES`.
* `server` — `WebServer`: binds the socket first (a port in use is a `SettingsError` naming
  WEB_PORT, before anything else starts), then serves the app with request-size, header-size
  and slow-client limits; `stop()` closes it.
* `templating` — the Jinja2 environment and `render_html(...)`; templates in `templates/`
  (`base.html` has the landmarks, the one `<h1>` and `<html lang="{{ lang }}">`), the one
  stylesheet in `static/site.css`, served at `/static/site.css`. No inline script or style
  anywhere: the Content-Security-Policy forbids both.
* `health` — `/healthz`; `feeds` — `/feeds/{token}.ics`.

How a page module adds its routes
---------------------------------
1. Write `bot/web/<name>.py` with a function

       def add_routes(routes: web.RouteTableDef, context: WebContext) -> None:
           @routes.get("/letters/{slug}")          # add_get also answers HEAD
           async def page(request: web.Request) -> web.StreamResponse:
               ...
               return render_html(request, "letter.html", lang="en", title=..., **values)

   Read what you need from `context` (a `WebContext`, bot/web/app.py): the services, the
   clock, `public_url`. Add a field to `WebContext` for a service the page needs (default
   None: the tests build contexts with only what they use), and pass it in `Bot._start_web`
   (bot/client.py).
2. Append its name ("bot.web.<name>") to `PAGES` in bot/web/app.py.
3. Raise `web.HTTPNotFound()` for anything unknown or taken down: the middleware turns every
   404 into the same short plain body. Never put member text in a header or an error.
4. Templates go in `bot/web/templates/` and extend `base.html`:

       {% extends "base.html" %}
       {% block title %}...{% endblock %}
       {% block head %}<meta property="og:title" content="{{ title }}">{% endblock %}
       {% block heading %}{{ title }}{% endblock %}   {# the one <h1> #}
       {% block content %}...{% endblock %}

   Everything is escaped unless marked safe: never use `|safe` on member text. Only GET and
   HEAD ever reach a handler (the middleware answers 405 to anything else).
"""
