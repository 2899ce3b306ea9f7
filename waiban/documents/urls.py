from django.urls import path

from waiban.documents import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/download/", views.document_download, name="download"),
    path("<int:pk>/download/docx/", views.document_download, {"fmt": "docx"}, name="download_docx"),
    path("case/<int:delegation_pk>/reissue/", views.documents_reissue_view, name="reissue"),
    path("verify/", views.verify_page, name="verify"),
    path("verify/api/", views.verify_json, name="verify_json"),
    path("trust/", views.trust_page, name="trust"),
    path("trust/bundle.cbor", views.trust_bundle, name="trust_bundle"),
    path("trust/root.pem", views.root_certificate, name="root_certificate"),
]
