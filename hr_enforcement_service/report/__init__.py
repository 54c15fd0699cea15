from . import service_receipt_pdf
