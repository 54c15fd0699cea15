from . import hr_enforcement_violation_order
