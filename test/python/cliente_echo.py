# The tutorial's "Cliente Echo", unchanged on the wire: sends each line typed (without a newline) and
# waits for one answer. Port and host come from argv; end of input ends it like "sair".
import socket
import sys

porta = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
host = sys.argv[2] if len(sys.argv) > 2 else 'localhost'

cliente = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
cliente.connect((host, porta))
print('Conectado ao servidor Echo')

try:
    while True:
        # Ler mensagem do usuário
        try:
            mensagem = input('Digite uma mensagem (ou "sair" para terminar): ')
        except EOFError:
            break

        if mensagem.lower() == 'sair':
            break

        # Enviar mensagem
        cliente.send(mensagem.encode('utf-8'))

        # Receber resposta
        resposta = cliente.recv(1024)
        print(f'Resposta: {resposta.decode("utf-8")}')

finally:
    cliente.close()
    print('Conexão encerrada')
