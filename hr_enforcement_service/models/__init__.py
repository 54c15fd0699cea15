from . import hr_enforcement_case
from . import hr_enforcement_demo
from . import hr_enforcement_execution_step
from . import hr_enforcement_receipt_scan
from . import hr_enforcement_receipt_token
from . import hr_enforcement_service
from . import hr_enforcement_service_receipt
