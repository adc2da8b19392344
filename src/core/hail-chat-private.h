/* hail-chat-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the parts of HailChat share: hail-chat.c (the object, sending and
 * resending, typing), hail-chat-pager.c (MESSAGE both ways, IMDN),
 * hail-chat-texts.c (long texts over message sessions, incoming sessions)
 * and hail-chat-files.c (files).
 */
#pragma once

#include "hail-chat.h"
#include "hail-chat-offer.h"
#include "hail-chat-session.h"
#include "hail-chat-transfer.h"

G_BEGIN_DECLS

enum {
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_COMPOSING,
  SIGNAL_MESSAGE_STATE,
  SIGNAL_SESSION_OFFER,
  SIGNAL_TRANSFER_ADDED,
  SIGNAL_FILE_PROGRESS,
  N_SIGNALS
};

/* One peer's typing state, ours (RFC 3994 §3.2) or theirs (§4). */
typedef struct {
  HailChat *chat;        /* Borrowed: the chat owns the table. */
  char     *remote;
  gboolean  active;
  guint     idle_id;
  guint     refresh_id;
} Composing;

struct _HailChat
{
  GObject parent_instance;

  /* Owned references. */
  HailAccount  *account;
  HailStore    *store;
  GCancellable *cancellable;
  GHashTable   *ours;           /* remote -> Composing, what we send */
  GHashTable   *theirs;         /* remote -> Composing, what peers send */
  GHashTable   *sent_imdn;      /* imdn Message-ID -> row id (gint64 *) */
  GHashTable   *want_display;   /* "remote\nimdn id" of peers asking display */
  GHashTable   *seen;           /* "Call-ID\nCSeq", without a store */
  GQueue       *seen_order;
  GHashTable   *recent;         /* Call-ID -> "From\nbody checksum", newest texts */
  GQueue       *recent_order;
  GHashTable   *resending;      /* row ids (gint64 *) the user is sending again */

  /* State. */
  char         *aor;
  gulong        request_id;
  gboolean      use_cpim;
  gboolean      imdn;
  guint         idle_ms;
  guint         refresh_ms;

  /* Message sessions (issue #8). */
  GPtrArray    *sessions;       /* HailChatSession, every one open or opening */
  GHashTable   *text_sessions;  /* remote -> HailChatSession (borrowed), for texts */
  GHashTable   *waiting;        /* remote -> GPtrArray of GTask, texts waiting for open */
  guint64       max_file_size;
  guint         session_idle_s;
  guint32       session_cseq;

  /* Offers and files. */
  GPtrArray    *offers;         /* Pending (hail-chat-texts.c): offers being asked about */
  GHashTable   *receiving;      /* HailChatSession -> HailChatIncomingFile */
  GHashTable   *partials;       /* HailChatSession -> HailStoreMessage, resumable */
  GFile        *download_dir;   /* NULL: XDG Downloads, else home */
  guint         offer_timeout_s;
};

typedef struct _HailChatIncomingFile HailChatIncomingFile;

/* Sending, shared by new and pending messages. */
typedef struct {
  char    *to;
  GBytes  *body;
  char    *content_type;
  char    *call_id;
  guint32  cseq;
  char    *imdn_id;
  gint64   id;
  guint    status;
  gboolean resent;
  HailStoreMessageMode mode;
  GError  *refused;       /* Why session mode was not used, for a fallback. */
  GError  *error;
} SendOp;

extern guint _hail_chat_signals[N_SIGNALS];

/* hail-chat.c */
void     _hail_chat_record_state        (HailChat              *self,
                                         gint64                 id,
                                         HailStoreMessageState  state,
                                         guint                  status,
                                         const char            *reason);
char    *_hail_chat_describe            (const GError          *error,
                                         guint                  status,
                                         guint                 *report);
void     _hail_chat_finish_send         (GTask                 *task,
                                         HailStoreMessageState  state,
                                         guint                  report,
                                         const char            *reason);

/* hail-chat-pager.c */
void     _hail_chat_send_by_pager       (GTask                 *task);
void     _hail_chat_sent_notification_cb (GObject             *source,
                                          GAsyncResult        *result,
                                          gpointer             user_data);
void     _hail_chat_send_imdn           (HailChat              *self,
                                         const char            *to,
                                         const char            *message_id,
                                         const char            *datetime,
                                         HailSipImdnKind        kind,
                                         HailSipImdnStatus      status);
void     _hail_chat_their_composing     (HailChat              *self,
                                         const char            *from,
                                         gboolean               active,
                                         guint                  refresh);
void     _hail_chat_take_text           (HailChat              *self,
                                         HailSipPagerIncoming  *in,
                                         HailStoreMessageMode   mode);
void     _hail_chat_take_imdn           (HailChat              *self,
                                         HailSipPagerIncoming  *in);

/* hail-chat-texts.c */
gboolean _hail_chat_needs_session       (const char            *to,
                                         gsize                  body_len);
void     _hail_chat_send_by_session     (GTask                 *task);
void     _hail_chat_add_session         (HailChat              *self,
                                         HailChatSession       *session);
void     _hail_chat_incoming_session    (HailChat              *self,
                                         HailSipServerTransaction *txn,
                                         HailSipMessage        *request);

void     _hail_chat_decide_offer       (HailChat              *self,
                                         HailChatOffer         *offer,
                                         gboolean               take);
void     _hail_chat_pending_free       (gpointer               pending);

/* hail-chat-files.c */
void     _hail_chat_incoming_file_free (HailChatIncomingFile  *in);
void     _hail_chat_files_stop         (HailChat              *self);
gboolean _hail_chat_file_prepare       (HailChat              *self,
                                         HailChatSession       *session,
                                         GError               **error);
void     _hail_chat_file_accepted      (HailChat              *self,
                                         HailChatSession       *session);
void     _hail_chat_file_complete      (HailChat              *self,
                                         HailChatSession       *session);
void     _hail_chat_file_failed        (HailChat              *self,
                                         HailChatSession       *session,
                                         const char            *reason,
                                         gboolean               resumable);
void     _hail_chat_file_session_closed (HailChat             *self,
                                          HailChatSession      *session,
                                          const GError         *reason);
void     _hail_chat_file_stored        (HailChat              *self,
                                         GTask                 *task);
void     _hail_chat_retry_transfer     (HailChat              *self,
                                         HailChatTransfer      *transfer,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data);

/* hail-chat-file-rows.c: the store's rows of files */
void     _hail_chat_record_outgoing_file (HailChat            *self,
                                          HailChatTransfer    *transfer,
                                          GTask               *task);
void     _hail_chat_record_incoming_file (HailChat            *self,
                                          HailChatTransfer    *transfer);
/* Removes the parts of incoming files that failed over
 * STALE_PART_AGE_DAYS ago or whose rows went (the store lists them). */
#define STALE_PART_AGE_DAYS 7
void     _hail_chat_remove_stale_parts (HailChat             *self);
void     _hail_chat_record_file_acked  (HailChat              *self,
                                         HailChatTransfer      *transfer);
void     _hail_chat_record_file_state  (HailChat              *self,
                                         HailChatTransfer      *transfer,
                                         HailStoreMessageState  state,
                                         const char            *reason);

/* hail-chat-offer.c */
char            *_hail_chat_safe_file_name    (const char      *offered);
HailChatOffer   *_hail_chat_offer_new         (HailChat        *chat,
                                               HailChatSession *session,
                                               const char      *display_name);
HailChatSession *_hail_chat_offer_get_session (HailChatOffer   *self);
gboolean         _hail_chat_offer_set_decided (HailChatOffer   *self);

/* hail-chat-transfer.c */
HailChatTransfer *_hail_chat_transfer_new         (HailChat              *chat,
                                                   gboolean               outgoing,
                                                   const char            *remote,
                                                   const char            *name,
                                                   const char            *content_type,
                                                   guint64                size,
                                                   GFile                 *file);
HailChat         *_hail_chat_transfer_dup_chat    (HailChatTransfer      *self);
void              _hail_chat_transfer_set_session (HailChatTransfer      *self,
                                                   HailChatSession       *session);
HailChatSession  *_hail_chat_transfer_get_session (HailChatTransfer      *self);
void              _hail_chat_transfer_set_id      (HailChatTransfer      *self,
                                                   gint64                 id);
void              _hail_chat_transfer_set_hash    (HailChatTransfer      *self,
                                                   const char            *hash);
const char       *_hail_chat_transfer_get_hash    (HailChatTransfer      *self);
void              _hail_chat_transfer_set_reported (HailChatTransfer     *self,
                                                    guint64               reported);
guint64           _hail_chat_transfer_get_reported (HailChatTransfer     *self);
void              _hail_chat_transfer_reset_reported (HailChatTransfer   *self);
void              _hail_chat_transfer_set_resumed_from (HailChatTransfer *self,
                                                        guint64           held);
void              _hail_chat_transfer_set_done    (HailChatTransfer      *self,
                                                   guint64                done);
void              _hail_chat_transfer_set_state   (HailChatTransfer      *self,
                                                   HailChatTransferState  state,
                                                   const char            *reason);
gboolean          _hail_chat_transfer_is_over     (HailChatTransfer      *self);
void              _hail_chat_transfer_set_hashed  (HailChatTransfer      *self,
                                                   guint64                hashed);
void              _hail_chat_transfer_set_unsupported (HailChatTransfer  *self,
                                                       gboolean           unsupported);

G_END_DECLS
