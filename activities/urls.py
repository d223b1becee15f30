from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/delete/", views.activity_delete, name="delete"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("rhythm/", views.rhythm_overview, name="rhythm"),
    path("rhythm/<int:pk>/", views.rhythm_branch, name="rhythm_branch"),
    path("documents/", views.documents, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("lists/new/", views.list_create, name="list_create"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("items/", views.open_items, name="open_items"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/progress/", views.item_progress, name="item_progress"),
    path("items/<int:pk>/evidence/", views.item_evidence, name="item_evidence"),
    path("letters/", views.letters, name="letters"),
    path("letters/draft/", views.letters_draft, name="letters_draft"),
    path("letters/new/", views.letter_write, name="letter_write"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", views.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/issue/", views.letter_issue, name="letter_issue"),
    path("letters/<int:pk>/handled/", views.letter_handled, name="letter_handled"),
    path("letters/<int:pk>/discard/", views.letter_discard, name="letter_discard"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
]
