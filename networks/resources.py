from import_export import fields, resources

from networks.models import Network
from portal.spreadsheets import SafeExportMixin


class NetworkResource(SafeExportMixin, resources.ModelResource):
    province = fields.Field(attribute="province__name", column_name="province", readonly=True)

    class Meta:
        model = Network
        fields = ["id", "name", "kind", "status", "province", "launch_date"]
        export_order = fields
