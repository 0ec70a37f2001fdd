from rest_framework.routers import SimpleRouter

from jiceng.core.checklists.api.views import ChecklistRunViewSet, ChecklistTemplateViewSet

router = SimpleRouter()
router.register("checklists", ChecklistTemplateViewSet)
router.register("checklist-runs", ChecklistRunViewSet)

urlpatterns = router.urls
