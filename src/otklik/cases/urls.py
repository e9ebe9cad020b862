from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:message_pk>/dispatch/", views.dispatch, name="dispatch"),
    path("inbox/<int:message_pk>/moderation/", views.moderation, name="moderation"),
    path("review/", views.review_queue, name="review_queue"),
    path("mine/", views.my_queue, name="my_queue"),
    path("notifications/", views.notifications, name="notifications"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/draft/", views.draft_editor, name="draft"),
    path("<int:pk>/drafts/<int:draft_pk>/revise/", views.draft_editor, name="revise"),
    path("<int:pk>/drafts/<int:draft_pk>/review/", views.review, name="review"),
    path("<int:pk>/drafts/<int:draft_pk>/files/<int:index>/", views.attachment, name="attachment"),
    path("<int:pk>/drafts/<int:draft_pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/also/<int:message_pk>/publish/", views.confirm_also, name="confirm_also"),
    path("<int:pk>/assignments/<int:assignment_pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/assignments/<int:assignment_pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/assignments/<int:assignment_pk>/hand-over/", views.hand_over, name="hand_over"),
    path("<int:pk>/reply/", views.author_reply, name="reply"),
    path("<int:pk>/without-author/", views.without_author, name="without_author"),
    path("<int:pk>/close/", views.close, name="close"),
]
