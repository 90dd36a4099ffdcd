"""Composer pages: write and edit posts, the post page and list, the media and text libraries."""

from django.urls import URLPattern, URLResolver, path

from chorus.publishing.views import composer, posts
from chorus.publishing.views import library as text_library
from chorus.publishing.views import media as media_library

urlpatterns: list[URLPattern | URLResolver] = [
    path("compose/", composer.compose, name="compose"),
    path("compose/preview/", composer.preview, name="compose_preview"),
    path("posts/", posts.post_list, name="posts"),
    path("posts/<int:post_id>/", posts.post_page, name="post"),
    path("posts/<int:post_id>/edit/", composer.compose, name="post_edit"),
    path("posts/<int:post_id>/edit/preview/", composer.preview, name="post_edit_preview"),
    path("posts/<int:post_id>/approve/", posts.approve, name="post_approve"),
    path("posts/<int:post_id>/needs-changes/", posts.needs_changes, name="post_needs_changes"),
    path("posts/<int:post_id>/comments/", posts.comment, name="post_comment"),
    path("posts/<int:post_id>/delete/", posts.delete, name="post_delete"),
    path("variants/<int:target_id>/<str:verb>/", posts.variant_action, name="variant_action"),
    path("media/", media_library.media_library, name="media"),
    path("media/<int:media_id>/", media_library.media_detail, name="media_detail"),
    path("media/<int:media_id>/file/", media_library.media_file, name="media_file"),
    path("media/<int:media_id>/delete/", media_library.media_delete, name="media_delete"),
    path("library/", text_library.library_page, name="library"),
    path("library/<str:kind>/<int:item_id>/", text_library.library_item, name="library_item"),
    path(
        "library/<str:kind>/<int:item_id>/delete/",
        text_library.library_delete,
        name="library_delete",
    ),
]
