from . import hr_enforcement_receipt_token
from . import hr_enforcement_receipt_scan
from . import hr_enforcement_service
