package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("same digest:", os.Getenv("GREETING"))
}
