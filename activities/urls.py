from django.urls import path

from activities.views import documents, letters, organized_life

app_name = "activities"

urlpatterns = [
    path("", organized_life.activity_list, name="list"),
    path("new/", organized_life.activity_create, name="create"),
    path("<int:pk>/", organized_life.activity_detail, name="detail"),
    path("<int:pk>/edit/", organized_life.activity_edit, name="edit"),
    path("<int:pk>/delete/", organized_life.activity_delete, name="delete"),
    path("attachments/<int:pk>/", organized_life.attachment_file, name="attachment"),
    path("rhythm/", organized_life.rhythm_overview, name="rhythm"),
    path("rhythm/<int:pk>/", organized_life.rhythm_branch, name="rhythm_branch"),
    path("documents/", documents.documents, name="documents"),
    path("documents/new/", documents.document_create, name="document_create"),
    path("documents/next-number/", documents.next_number, name="next_number"),
    path("documents/numbers/", documents.document_numbers, name="document_numbers"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/file/", documents.document_file, name="document_file"),
    path("lists/new/", documents.list_create, name="list_create"),
    path("lists/<int:pk>/", documents.list_detail, name="list_detail"),
    path("items/", documents.open_items, name="open_items"),
    path("items/<int:pk>/edit/", documents.item_edit, name="item_edit"),
    path("items/<int:pk>/progress/", documents.item_progress, name="item_progress"),
    path("items/<int:pk>/evidence/", documents.item_evidence, name="item_evidence"),
    path("letters/", letters.letters, name="letters"),
    path("letters/draft/", letters.letters_draft, name="letters_draft"),
    path("letters/new/", letters.letter_write, name="letter_write"),
    path("letters/<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", letters.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/issue/", letters.letter_issue, name="letter_issue"),
    path("letters/<int:pk>/handled/", letters.letter_handled, name="letter_handled"),
    path("letters/<int:pk>/discard/", letters.letter_discard, name="letter_discard"),
    path("letters/<int:pk>/pdf/", letters.letter_pdf, name="letter_pdf"),
]
