from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("committees", views.CommitteeViewSet)
router.register("topics", views.TopicViewSet)
router.register("units", views.UnitViewSet)
router.register("meetings", views.MeetingViewSet)
router.register("reports", views.ReportViewSet)
router.register("indicators", views.IndicatorViewSet)
router.register("findings", views.FindingViewSet)
router.register("directives", views.DirectiveViewSet)
router.register("series", views.SeriesViewSet, basename="series")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
]
