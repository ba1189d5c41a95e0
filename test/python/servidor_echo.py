# The tutorial's "Servidor Echo", unchanged on the wire: answers every read with 'Echo: ' + what it read,
# one connection at a time. Port (0: the system chooses) and host come from argv; the bound address is
# printed first.
import socket
import sys

porta = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
host = sys.argv[2] if len(sys.argv) > 2 else 'localhost'

servidor = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
servidor.bind((host, porta))
servidor.listen(1)
print(f'listening on {host}:{servidor.getsockname()[1]}', flush=True)

while True:
    print('\nAguardando conexão...')
    conexao, endereco = servidor.accept()
    print(f'Conectado com {endereco}')

    try:
        while True:
            # Receber dados
            dados = conexao.recv(1024)

            if not dados:
                print('Cliente desconectou')
                break

            mensagem = dados.decode('utf-8')
            print(f'Recebido: {mensagem}')

            # Enviar dados de volta (echo)
            resposta = f'Echo: {mensagem}'
            conexao.send(resposta.encode('utf-8'))

    finally:
        conexao.close()
