"""The workflow engine: django-fsm transitions with guards, permissions and a transition log.

Public API: ``Guard``, ``guard``, ``Reason``, ``policy_reason``, ``TransitionRefused``, ``GuardFailed`` (409 with every reason; here) and
``jiceng.core.workflow.services.run_transition``. See docs/engines/workflow.md.
"""

from jiceng.core.workflow.guards import (
    ConcurrentTransitionError,
    Guard,
    GuardFailed,
    GuardList,
    Reason,
    TransitionRefused,
    guard,
    policy_reason,
)

__all__ = [
    "ConcurrentTransitionError",
    "Guard",
    "GuardFailed",
    "GuardList",
    "Reason",
    "TransitionRefused",
    "guard",
    "policy_reason",
]
