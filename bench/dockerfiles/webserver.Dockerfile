# Seed 000's multi-stage Dockerfile, with the test bed's tags (golang:alpine -> golang:1.26-alpine,
# alpine -> alpine:3.20) and `go build main.go`, since Go 1.26 builds no directory without a go.mod.
FROM golang:1.26-alpine AS builder
WORKDIR /go/src/app
COPY main.go .
RUN go build -o webserver main.go
FROM alpine:3.20
WORKDIR /app
COPY --from=builder /go/src/app/ /app/
CMD ["./webserver"]
