from jiceng.core.views.generic import (
    ModelViews,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    registered_model_views,
)

__all__ = [
    "ModelViews",
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectHistoryView",
    "ObjectListView",
    "registered_model_views",
]
