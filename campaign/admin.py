from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from campaign import services
from campaign.models import Campaign, Job
from units.access import scope_for

admin.site.site_header = "教育实践活动工作平台 · 管理后台"
admin.site.site_title = "管理后台"
admin.site.index_title = "数据管理"


class ServiceAdminForm(ModelForm):
    """Runs the admin's service at the end of validation, so a broken rule is a form error."""

    service_admin: "ServiceAdmin"
    request: HttpRequest
    saved: Model | None = None

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.errors:
            return
        admin_ = self.service_admin
        try:
            if self.instance.pk:
                self.saved = admin_.update(self.request, self.instance, self)
            else:
                self.saved = admin_.create(self.request, self.instance, self)
        except ValidationError as exc:
            self.add_error(None, exc)
        except PermissionDenied as exc:
            self.add_error(None, str(exc) or "您没有执行此操作的权限。")


class ServiceAdmin(SimpleHistoryAdmin):
    """Admin whose writes go through the services, scoped like every other path.

    Subclasses implement ``create`` and ``update`` by calling a service with the
    form's cleaned data. Records are never deleted from the admin.
    """

    form = ServiceAdminForm
    scope_path_field = "unit__path"
    scope_unit_field = "unit_id"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        return type(form_class.__name__, (form_class,), {"service_admin": self, "request": request})

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        scope = scope_for(request.user)
        if scope.is_superuser:
            return queryset
        return queryset.filter(
            scope.unit_q(path_field=self.scope_path_field, unit_field=self.scope_unit_field)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        saved = form.saved  # type: ignore[attr-defined]
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool) -> None:
        """Many-to-many values were written by the service already."""

    def create(self, request: HttpRequest, obj: Any, form: ModelForm) -> Model:
        raise PermissionDenied("此类记录不能在管理后台新建。")

    def update(self, request: HttpRequest, obj: Any, form: ModelForm) -> Model:
        raise PermissionDenied("此类记录不能在管理后台修改。")


@admin.register(Campaign)
class CampaignAdmin(ServiceAdmin):
    list_display = ["name", "batch", "root_unit", "start_date", "end_date", "min_unit_months"]
    fields = ["name", "batch", "root_unit", "start_date", "end_date", "min_unit_months"]
    raw_id_fields = ["root_unit"]
    scope_path_field = "root_unit__path"
    scope_unit_field = "root_unit_id"

    def create(self, request: HttpRequest, obj: Campaign, form: ModelForm) -> Model:
        return services.campaign_create(actor=request.user, **form.cleaned_data)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "user", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
