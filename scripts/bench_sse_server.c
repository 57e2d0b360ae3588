/* A paced Server-Sent Events server for the streaming benchmark: one thread, epoll, a timer heap,
 * so every event leaves on schedule even with thousands of streams on two cores (lamb-sim, on
 * Hummingbird, batches its writes long before that). Each POST gets a chunked text/event-stream:
 * TOKENS content chunks, the first TTFT_MS after the request arrived and one every ITL_MS after that
 * (from the schedule, not from the previous write), then a usage chunk and data: [DONE]. Keep-alive.
 * A HEAD (stress-test-db --preconnect's) gets 405 and no body at once, as LAMB's POST-only route does.
 * Listens on 127.0.0.1 only; prints "listening on http://127.0.0.1:PORT".
 * Usage: bench_sse_server TTFT_MS ITL_MS TOKENS */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct { int fd; int sent; long long due; long generation; char in[8192]; int have; } Conn;
static Conn *conns[1 << 20];
static struct { long long due; int fd; long generation; } heap[1 << 20];
static long generations;
static int heap_size;
static long long ttft, itl;
static int tokens;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void heap_push(long long due, int fd, long generation) {
    int i = heap_size++;
    while (i > 0 && heap[(i - 1) / 2].due > due) { heap[i] = heap[(i - 1) / 2]; i = (i - 1) / 2; }
    heap[i].due = due; heap[i].fd = fd; heap[i].generation = generation;
}

static void heap_pop(void) {
    long long due = heap[--heap_size].due; int fd = heap[heap_size].fd, i = 0;
    long generation = heap[heap_size].generation;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= heap_size) break;
        if (c + 1 < heap_size && heap[c + 1].due < heap[c].due) c++;
        if (heap[c].due >= due) break;
        heap[i] = heap[c]; i = c;
    }
    heap[i].due = due; heap[i].fd = fd; heap[i].generation = generation;
}

static void send_chunk(int fd, const char *payload) {
    char buffer[1024];
    int length = (int)strlen(payload);
    int n = snprintf(buffer, sizeof buffer, "%x\r\n%s\r\n", length, payload);
    if (write(fd, buffer, n) < 0) { /* the client left; its close is seen by epoll */ }
}

/* A whole request is in when the head is and Content-Length bytes of body after it: 1, or 2 for a HEAD. */
static int request_complete(Conn *c) {
    c->in[c->have] = 0;
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end) return 0;
    char *cl = strcasestr(c->in, "content-length:");
    int body = cl && cl < end ? atoi(cl + 15) : 0;
    int total = (int)(end - c->in) + 4 + body;
    if (c->have < total) return 0;
    int head = strncmp(c->in, "HEAD ", 5) == 0;
    memmove(c->in, c->in + total, c->have - total);
    c->have -= total;
    return head ? 2 : 1;
}

static void start_stream(Conn *c) {
    const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    if (write(c->fd, head, strlen(head)) < 0) return;
    c->sent = 0;
    c->due = now_ns() + ttft;
    heap_push(c->due, c->fd, c->generation);
}

static void next_event(Conn *c) {
    char event[512];
    if (c->sent < tokens) {
        snprintf(event, sizeof event, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w%d \"}}]}\n\n", c->sent + 1);
        send_chunk(c->fd, event);
        c->sent++;
        if (c->sent < tokens) { c->due += itl; heap_push(c->due, c->fd, c->generation); return; }
    }
    snprintf(event, sizeof event, "data: {\"choices\":[],\"usage\":{\"completion_tokens\":%d}}\n\ndata: [DONE]\n\n", tokens);
    send_chunk(c->fd, event);
    send_chunk(c->fd, "");
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s TTFT_MS ITL_MS TOKENS\n", argv[0]); return 2; }
    ttft = (long long)(atof(argv[1]) * 1e6); itl = (long long)(atof(argv[2]) * 1e6); tokens = atoi(argv[3]);
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, length) || listen(listener, 16384)) { perror("listen"); return 1; }
    getsockname(listener, (struct sockaddr *)&address, &length);
    printf("listening on http://127.0.0.1:%d\n", ntohs(address.sin_port));
    fflush(stdout);
    int ep = epoll_create1(0);
    struct epoll_event event = { .events = EPOLLIN, .data.fd = listener }, events[1024];
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &event);
    for (;;) {
        struct timespec wait = { 0, 100000000 };
        if (heap_size > 0) {
            long long left = heap[0].due - now_ns();
            if (left < 0) left = 0;
            wait.tv_sec = left / 1000000000LL; wait.tv_nsec = left % 1000000000LL;
        }
        int n = epoll_pwait2(ep, events, 1024, &wait, NULL);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conns[client] = calloc(1, sizeof(Conn));
                    conns[client]->fd = client;
                    conns[client]->generation = ++generations;
                    struct epoll_event e = { .events = EPOLLIN, .data.fd = client };
                    epoll_ctl(ep, EPOLL_CTL_ADD, client, &e);
                }
                continue;
            }
            Conn *c = conns[fd];
            ssize_t got = read(fd, c->in + c->have, sizeof c->in - 1 - c->have);
            if (got <= 0) {
                if (got < 0 && errno == EAGAIN) continue;
                close(fd); c->fd = -1; conns[fd] = NULL;  /* a pending heap entry finds no connection */
                free(c);
                continue;
            }
            c->have += (int)got;
            int request = request_complete(c);
            if (request == 2) {
                const char *refused = "HTTP/1.1 405 Method Not Allowed\r\nAllow: POST\r\nContent-Length: 0\r\n\r\n";
                if (write(fd, refused, strlen(refused)) < 0) { /* the client left; its close is seen by epoll */ }
            } else if (request == 1) {
                start_stream(c);
            }
        }
        long long now = now_ns();
        while (heap_size > 0 && heap[0].due <= now) {
            int fd = heap[0].fd;
            long generation = heap[0].generation;
            heap_pop();
            /* An entry for a connection that closed (its number maybe reused since) is skipped. */
            if (conns[fd] && conns[fd]->generation == generation) next_event(conns[fd]);
        }
    }
}
