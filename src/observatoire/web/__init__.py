"""Django project of the observatoire: settings, URLs, WSGI, shared static files. Django
starts through `observatoire.startup` (the data core stays Django-free)."""
