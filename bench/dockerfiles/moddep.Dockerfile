# The usual multi-stage Dockerfile for a Go module: dependencies first, so they stay cached.
FROM golang:1.26-alpine AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/moddep .
FROM alpine:3.20
COPY --from=builder /out/moddep /app/moddep
CMD ["/app/moddep"]
