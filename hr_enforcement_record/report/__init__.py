from . import cjk_pdf
from . import event_log_pdf
