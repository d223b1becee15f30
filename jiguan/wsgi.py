import os

from django.core.wsgi import get_wsgi_application

from jiguan import process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiguan.settings")
application = get_wsgi_application()
process.prepare()  # before the first request: see jiguan.process
