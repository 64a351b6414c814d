package main

import "fmt"

func main() {
	fmt.Println("Olá, multistage! Uma imagem pequena com o nosso programinha.")
}
