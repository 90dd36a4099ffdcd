"""Publishing on a Page: text and links on ``/feed``, one photo on ``/photos``, several photos
uploaded unpublished then attached to one ``/feed`` post, a video on ``/videos``; answers (first
comments, replies to comments) on ``/{object}/comments`` and in Messenger on ``/{page}/messages``.

Files are streamed from storage (``MediaFile.opened``). Meta takes no idempotency key: a POST
whose answer was lost is Unconfirmed (the Graph client says so), and reconciling reads the
Page's recent posts.
"""

from __future__ import annotations

from typing import Any

from chorus.channels.base import URL_RE, MediaFile, OutgoingPost, PublishedPost
from chorus.channels.errors import Permanent, Unconfirmed
from chorus.channels.networks.meta.graph import Graph

# Meta's error subcode when the person last wrote more than 24 hours ago (Send API).
OUTSIDE_WINDOW_SUBCODE = 2018278


def post_url(remote_id: str) -> str:
    return f"https://www.facebook.com/{remote_id}"


def publish(graph: Graph, page_id: str, post: OutgoingPost) -> PublishedPost:
    videos = [media for media in post.media if media.mime_type.startswith("video/")]
    if videos:
        return _video(graph, page_id, post, videos[0])
    if len(post.media) == 1:
        return _photo(graph, page_id, post, post.media[0])
    if post.media:
        return _album(graph, page_id, post)
    fields: dict[str, Any] = {"message": post.text}
    if link := link_of(post):
        fields["link"] = link  # Facebook draws the link's preview card itself
    return _published(graph.post(f"{page_id}/feed", **fields), post.text)


def link_of(post: OutgoingPost) -> str:
    """The link to preview: one given with the post, else the first address in its text (what
    a person pasting a link into Facebook sees previewed)."""
    card = post.options.get("link_card")
    given = post.options.get("link") or (card.get("uri") if isinstance(card, dict) else "")
    if given:
        return str(given)
    found = URL_RE.search(post.text)
    return found.group(0).rstrip(".,;:!?)") if found else ""


def _upload(
    graph: Graph, path: str, media: MediaFile, fields: dict[str, Any], *, may_have_applied: bool
) -> dict[str, Any]:
    with media.opened() as stream:  # httpx reads it in chunks as the request goes out
        files = {"source": (media.filename, stream, media.mime_type)}
        return graph.call("POST", path, data=fields, files=files, may_have_applied=may_have_applied)


def _photo_fields(media: MediaFile) -> dict[str, Any]:
    return {"alt_text_custom": media.alt_text} if media.alt_text else {}


def _photo(graph: Graph, page_id: str, post: OutgoingPost, media: MediaFile) -> PublishedPost:
    fields = {"caption": post.text, **_photo_fields(media)}
    answer = _upload(graph, f"{page_id}/photos", media, fields, may_have_applied=True)
    # ``post_id`` is the Page post showing the photo; ``id`` the photo itself.
    return _published({"id": answer.get("post_id") or answer.get("id")}, post.text)


def _album(graph: Graph, page_id: str, post: OutgoingPost) -> PublishedPost:
    """Each photo uploaded unpublished (invisible until attached), then one post with all.

    A lost answer on an unpublished upload only leaves an invisible photo: it may be retried.
    """
    attached = []
    for media in post.media:
        fields = {"published": False, **_photo_fields(media)}
        answer = _upload(graph, f"{page_id}/photos", media, fields, may_have_applied=False)
        if not answer.get("id"):
            raise Permanent("Meta did not say which photo it received; nothing was published.")
        attached.append({"media_fbid": str(answer["id"])})
    answer = graph.post(f"{page_id}/feed", message=post.text, attached_media=attached)
    return _published(answer, post.text)


def _video(graph: Graph, page_id: str, post: OutgoingPost, media: MediaFile) -> PublishedPost:
    fields = {"description": post.text}
    answer = _upload(graph, f"{page_id}/videos", media, fields, may_have_applied=True)
    return _published(answer, post.text)


def _published(answer: dict[str, Any], text: str) -> PublishedPost:
    remote_id = str(answer.get("id") or "")
    if not remote_id:
        # Meta answered without an error, so something may exist: look for it on the Page.
        raise Unconfirmed(
            "Meta accepted the post but did not say its id; Chorus will look on the Page.",
            detail=str(answer)[:200],
        )
    return PublishedPost(remote_id=remote_id, url=post_url(remote_id), text=text)


# -- answers ----------------------------------------------------------------------------------


def answer(graph: Graph, page_id: str, post: OutgoingPost) -> PublishedPost:
    """A first comment under a post, a reply to a comment, or a Messenger answer."""
    target = post.reply_to
    if target.startswith("dm:"):
        return send_message(graph, page_id, target.removeprefix("dm:"), post.text)
    if target.startswith("m_"):  # a Messenger message: answer its sender
        sender = (graph.get(target, fields="from").get("from") or {}).get("id")
        if not sender:
            raise Permanent("Meta did not say who sent this message; answer from Messenger.")
        return send_message(graph, page_id, str(sender), post.text)
    made = graph.post(f"{target}/comments", message=post.text)
    return _published(made, post.text)


def send_message(graph: Graph, page_id: str, psid: str, text: str) -> PublishedPost:
    """Answer in Messenger: a page may answer freely within 24 hours of the person's last
    message (``messaging_type=RESPONSE``); later, Meta refuses, and we say why."""
    try:
        made = graph.post(
            f"{page_id}/messages",
            recipient={"id": psid},
            message={"text": text},
            messaging_type="RESPONSE",
        )
    except Permanent as refused:
        if str(OUTSIDE_WINDOW_SUBCODE) in refused.detail or "outside of allowed window" in (
            refused.detail.lower()
        ):
            raise Permanent(
                "This person last wrote more than 24 hours ago: Messenger lets a Page answer "
                "only within 24 hours. Answer from Facebook's own inbox if you must.",
                detail=refused.detail,
            ) from refused
        raise
    message_id = str(made.get("message_id") or "")
    if not message_id:
        raise Unconfirmed("Meta did not say which message it sent.", detail=str(made)[:200])
    return PublishedPost(remote_id=message_id, text=text)
