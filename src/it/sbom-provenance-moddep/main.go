package main

import (
	"fmt"

	"github.com/google/uuid"
)

func main() {
	id := uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://msbuild.dev/seed"))
	fmt.Printf("module dependency ok: %s\n", id)
}
