"""法制审核, 集体讨论, 风险评估: the checks a penalty decision may need before the head decides.

Public surface for other apps: `review.selectors` (statuses the cases guards read, the reviewer's
to-do list), `review.services` (the acts), `review.policies` (`can` / `ensure`).
"""
