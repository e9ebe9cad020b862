from django.contrib import admin

from .models import Cursor, Message, Post, Source

admin.site.register(Source)
admin.site.register(Cursor)
admin.site.register(Post)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ("network", "author_name", "published_at", "text")
    list_filter = ("network",)
    search_fields = ("text", "author_name", "external_id")
