/* test-stack-util.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scripted peer for stack tests: a raw UDP socket on 127.0.0.1 that
 * records every datagram with its arrival time, and a stack under test.
 */
#pragma once

#include "hail-sip-stack.h"

G_BEGIN_DECLS

typedef struct {
  GBytes         *data;
  gint64          time;     /* when the kernel took it in (wall clock, µs) */
  HailSipMessage *message;  /* parsed, or NULL */
} Datagram;

typedef struct {
  GSocket            *socket;
  GSource            *source;
  GInetSocketAddress *address;
  GPtrArray          *received;   /* Datagram* */
  GSocketAddress     *last_from;
} RawPeer;

RawPeer        *raw_peer_new      (void);
void            raw_peer_free     (RawPeer              *peer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawPeer, raw_peer_free)

/* Waits (at most @timeout_ms) until @peer holds @count datagrams. */
gboolean        raw_peer_wait     (RawPeer              *peer,
                                   guint                 count,
                                   guint                 timeout_ms);
void            raw_peer_send     (RawPeer              *peer,
                                   GInetSocketAddress   *to,
                                   const char           *text);
HailSipMessage *raw_peer_message  (RawPeer              *peer,
                                   guint                 index);
/* Answers request @index with @status (a copy of its Via, From, To with a
 * tag, Call-ID and CSeq) and @extra header lines ("Name: value\r\n"). */
void            raw_peer_reply    (RawPeer              *peer,
                                   guint                 index,
                                   guint                 status,
                                   const char           *extra);

/* A stack with T1 = 20 ms, T2 = 80 ms, T4 = 100 ms on 127.0.0.1 UDP (and
 * TCP when @tcp). */
HailSipStack   *test_stack_new    (gboolean              tcp);
HailSipTarget  *test_target       (RawPeer              *peer);

/* Iterates the main context for @ms (only to let stray packets arrive). */
void            test_drain        (guint                 ms);

G_END_DECLS
