from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<id:message_pk>/dispatch/", views.dispatch, name="dispatch"),
    path("inbox/<id:message_pk>/moderation/", views.moderation, name="moderation"),
    path("review/", views.review_queue, name="review_queue"),
    path("mine/", views.my_queue, name="my_queue"),
    path("notifications/", views.notifications, name="notifications"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/draft/", views.draft_editor, name="draft"),
    path("<id:pk>/drafts/<id:draft_pk>/revise/", views.draft_editor, name="revise"),
    path("<id:pk>/drafts/<id:draft_pk>/review/", views.review, name="review"),
    path("<id:pk>/drafts/<id:draft_pk>/files/<id:index>/", views.attachment, name="attachment"),
    path("<id:pk>/drafts/<id:draft_pk>/publish/", views.publish, name="publish"),
    path("<id:pk>/also/<id:message_pk>/publish/", views.confirm_also, name="confirm_also"),
    path("<id:pk>/assignments/<id:assignment_pk>/reject/", views.reject, name="reject"),
    path("<id:pk>/assignments/<id:assignment_pk>/reassign/", views.reassign, name="reassign"),
    path("<id:pk>/assignments/<id:assignment_pk>/hand-over/", views.hand_over, name="hand_over"),
    path("<id:pk>/reply/", views.author_reply, name="reply"),
    path("<id:pk>/without-author/", views.without_author, name="without_author"),
    path("<id:pk>/close/", views.close, name="close"),
]
