package main

import (
	"fmt"

	"github.com/google/uuid"
)

func main() {
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://example.com/msbuild"))
	fmt.Printf("uuid %s\n", id)
}
