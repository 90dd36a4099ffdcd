import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings")
application = get_wsgi_application()

# Django, the apps and their modules live as long as the process: moved out of the collector's
# sight, a full collection no longer walks them all again during some request.
gc.freeze()
